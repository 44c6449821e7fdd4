# Drawn by the replicate harness; run `gnuplot update-ratio.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Relative weight update, bottom half / top half of the layers"
set xlabel "tokens seen in the continual phase (thousands)"
set ylabel "mean |W_t − W_0| / |W_0|, layers 1–2 over 3–4"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'update-ratio.png'
plot 'update-ratio.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'update-ratio.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'update-ratio.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G2", \
     'update-ratio.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G3", \
     1.35 with lines dt 2 lc rgb 'gray40' title "Guo: > 1.35 early"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'update-ratio.svg'
plot 'update-ratio.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'update-ratio.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'update-ratio.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G2", \
     'update-ratio.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G3", \
     1.35 with lines dt 2 lc rgb 'gray40' title "Guo: > 1.35 early"
unset output
