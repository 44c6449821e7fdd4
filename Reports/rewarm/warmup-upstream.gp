# Drawn by the replicate harness; run `gnuplot warmup-upstream.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Warmup length: U-val over the first 100 steps"
set xlabel "continual step"
set ylabel "U-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'warmup-upstream.png'
plot 'warmup-upstream.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "wu0", \
     'warmup-upstream.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "wu0.5", \
     'warmup-upstream.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'warmup-upstream.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "wu2"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'warmup-upstream.svg'
plot 'warmup-upstream.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "wu0", \
     'warmup-upstream.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "wu0.5", \
     'warmup-upstream.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'warmup-upstream.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "wu2"
unset output
