# Drawn by the replicate harness; run `gnuplot excess-by-position.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Excess loss over the Bayes predictor by position bucket"
set xlabel "position bucket (1 = t ≤ 16, 2 = 16 < t ≤ 64, 3 = t > 64)"
set ylabel "excess loss (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'excess-by-position.png'
plot 'excess-by-position.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "STD: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "MECO: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "URL100: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "STD@1.5T: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "MECO: ℓ_c − H_cond", \
     0.0 with lines dt 2 lc rgb 'gray40' title "Bayes"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'excess-by-position.svg'
plot 'excess-by-position.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "STD: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "MECO: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "URL100: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "STD@1.5T: ℓ_u − H_uncond", \
     'excess-by-position.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "MECO: ℓ_c − H_cond", \
     0.0 with lines dt 2 lc rgb 'gray40' title "Bayes"
unset output
